//! akslint's pipeline.

mod config;
mod engine;

pub use config::{CONFIG_FILE_NAME, Config, ConfigError, ConfigResolver, RuleState};
pub use engine::{Engine, FileOutcome, FileReport, Notice, NoticeLevel, Report};
