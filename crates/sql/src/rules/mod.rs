//! Built-in SQL rules.

use ripple_core::Rule;
use std::sync::Arc;

pub fn all() -> Vec<Arc<dyn Rule>> {
    Vec::new()
}
