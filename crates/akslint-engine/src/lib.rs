//! akslint's pipeline, the same for the command line and the language server:
//!
//! 1. [`walk`]: the files of a run (folders walked, `.gitignore` and excludes respected);
//! 2. [`Engine::analyse`]: each file read and parsed by the front end for its kind, the rules
//!    that look at one file run, its facts and suppressions collected;
//! 3. [`project`]: the files grouped into projects (run scope);
//! 4. [`Engine::evaluate_project`]: each project's templates evaluated, its facts indexed, the
//!    cross-file rules run;
//! 5. [`Engine::finish`]: the one configuration and suppression gate, by diagnostic code;
//! 6. [`run()`]: all of it over a list of inputs, into a [`Report`].

pub mod built;
mod chart_paths;
mod config;
mod engine;
pub mod project;
pub mod read;
mod run;
pub mod timing;
mod values_sets;
pub mod walk;

pub use config::{
    CONFIG_FILE_NAME, CommandLineValues, Config, ConfigError, ConfigResolver, RuleSelection,
    RuleState, UnknownSelector, config_schema,
};
pub use engine::{
    Content, Engine, FileAnalysis, FileReport, Notice, NoticeLevel, ObjectKey, ProjectFile,
    ProjectFindings, Report, Run,
};
pub use run::{Overlay, StdinInput, run};
