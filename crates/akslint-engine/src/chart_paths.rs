//! Relative paths written so that the Helm chart around a file is found above it, whichever
//! folder of the chart the run starts in: `akslint check .` in a chart's `templates/` folder
//! names `deployment.yaml`, whose chart is the current folder's parent.

use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use akslint_kustomize::kustomization::normalize;

use crate::CONFIG_FILE_NAME;

/// A path relative to the current folder written from the root of the chart the current folder
/// is in, when it is below that root (`a.yaml` named in the chart's `templates/` becomes
/// `../templates/a.yaml`); else a relative path that names its first folder bare written from
/// the current folder (`./templates/a.yaml`), so that the folders above a file end in `.`,
/// never in the empty path no folder can be read from. Other paths are returned as they are.
///
/// The chart is the nearest folder at or above the current folder with a `Chart.yaml`, not
/// above its project's root (a folder with `akslint.yaml` or `.git`, see [`crate::project`]),
/// or the outermost parent of a dependency under a parent's `charts/`.
pub(crate) fn from_current_folder(path: PathBuf) -> PathBuf {
    match path.components().next() {
        Some(Component::Normal(_) | Component::ParentDir) => {}
        _ => return path,
    }
    match chart_climb() {
        Some(climb) => normalize(&climb.join(&path)),
        None if path.starts_with("..") => path,
        None => Path::new(".").join(path),
    }
}

/// The current folder as seen from the root of the chart it is below (`../templates` in a
/// chart's `templates/` folder), remembered for the current folder.
fn chart_climb() -> Option<PathBuf> {
    static FOUND: Mutex<Option<(PathBuf, Option<PathBuf>)>> = Mutex::new(None);
    let cwd = std::env::current_dir().ok()?;
    let mut found = FOUND.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((at, climb)) = found.as_ref()
        && *at == cwd
    {
        return climb.clone();
    }
    let climb = climb_from(&cwd);
    *found = Some((cwd, climb.clone()));
    climb
}

/// `cwd` as seen from the root of the chart it is below, if any (see [`from_current_folder`]).
fn climb_from(cwd: &Path) -> Option<PathBuf> {
    let mut chart = None;
    for dir in cwd.ancestors() {
        if dir.join(akslint_helm::chart::CHART_FILE).is_file() {
            chart = Some(dir);
            break;
        }
        if dir.join(CONFIG_FILE_NAME).is_file() || dir.join(".git").exists() {
            break;
        }
    }
    let chart = akslint_helm::outermost_chart(chart?);
    let below = cwd.strip_prefix(chart).ok()?;
    let depth = below.components().count();
    (depth > 0).then(|| {
        let mut climb: PathBuf = std::iter::repeat_n("..", depth).collect();
        climb.push(below);
        climb
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_below_a_charts_root_climbs_to_it_and_back() {
        let root = tempfile::tempdir().expect("a temporary folder");
        let repo = &root.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        let web = repo.join("charts-src/web");
        std::fs::create_dir_all(web.join("templates/jobs")).unwrap();
        std::fs::create_dir_all(web.join("charts/cache/templates")).unwrap();
        std::fs::write(web.join("Chart.yaml"), "name: web\n").unwrap();
        std::fs::write(web.join("charts/cache/Chart.yaml"), "name: cache\n").unwrap();
        let climb = |dir: &Path| climb_from(dir).map(|p| p.display().to_string());
        assert_eq!(
            climb(&web.join("templates")).as_deref(),
            Some("../templates")
        );
        assert_eq!(
            climb(&web.join("templates/jobs")).as_deref(),
            Some("../../templates/jobs")
        );
        // A dependency's folder: from its outermost parent.
        assert_eq!(
            climb(&web.join("charts/cache/templates")).as_deref(),
            Some("../../../charts/cache/templates")
        );
        // The chart's root, and folders of no chart (the search stops at the repository).
        assert_eq!(climb(&web), None);
        assert_eq!(climb(&repo.join("charts-src")), None);
        std::fs::write(root.path().join("Chart.yaml"), "name: outside\n").unwrap();
        assert_eq!(climb(repo), None);
    }
}
