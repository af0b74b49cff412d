//! The linking rule of every importer: which activity provides the product an exchange
//! consumes.
//!
//! 1. the provider the data names (openLCA `defaultProvider`, EcoSpold2
//!    `activityLinkId`), when it is in the data and makes that product;
//! 2. otherwise the only activity that makes the product;
//! 3. otherwise the one in the consumer's own location;
//! 4. otherwise the first of the fallback locations (`GLO`, then `RoW`, unless the options
//!    say otherwise);
//! 5. otherwise nothing: the exchange is left out of the matrix and reported by name, with
//!    the candidates, never dropped silently.
//!
//! ```
//! use tanso::exchange::import::link::{Linker, Link, LinkHow};
//! let mut linker = Linker::new(vec!["GLO".into(), "RoW".into()]);
//! linker.add("electricity", "elec-CN".into(), Some("CN"));
//! linker.add("electricity", "elec-GLO".into(), Some("GLO"));
//! match linker.link("electricity", None, Some("DE")) {
//!     Link::Linked { activity, how } => {
//!         assert_eq!(activity, "elec-GLO".into());
//!         assert_eq!(how, LinkHow::Fallback("GLO".into()));
//!     }
//!     other => panic!("{other:?}"),
//! }
//! ```

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::lca::system::NodeId;

/// How an exchange was linked to its provider.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkHow {
    /// The provider named by the data.
    DefaultProvider,
    /// The only activity making the product.
    OnlyProvider,
    /// The provider in the consumer's location.
    SameLocation,
    /// The provider in this fallback location.
    Fallback(String),
}

/// The outcome of linking one exchange.
#[derive(Debug, Clone, PartialEq)]
pub enum Link {
    /// Linked to `activity`.
    Linked {
        /// The providing activity.
        activity: NodeId,
        /// By which step of the rule.
        how: LinkHow,
    },
    /// Not linked: why, and the activities that make the product (if any).
    Unlinked {
        /// Why no provider was chosen.
        reason: String,
        /// The activities making the product.
        candidates: Vec<NodeId>,
    },
}

#[derive(Debug, Clone)]
struct Provider {
    activity: NodeId,
    location: Option<String>,
}

/// Providers of each product, and the rule's fallback locations.
#[derive(Debug, Clone, Default)]
pub struct Linker {
    providers: HashMap<String, Vec<Provider>>,
    fallback: Vec<String>,
}

impl Linker {
    /// A linker with the fallback locations in order (e.g. `["GLO", "RoW"]`).
    pub fn new(fallback: Vec<String>) -> Linker {
        Linker {
            providers: HashMap::new(),
            fallback,
        }
    }

    /// Records that `activity` (in `location`) makes `product` (the product's key in the
    /// source data: a flow UUID, an intermediate exchange id).
    pub fn add(&mut self, product: &str, activity: NodeId, location: Option<&str>) {
        self.providers.entry(product.to_string()).or_default().push(Provider {
            activity,
            location: location.map(str::to_string),
        });
    }

    /// The activities making `product`.
    pub fn providers(&self, product: &str) -> Vec<NodeId> {
        self.providers
            .get(product)
            .map(|v| v.iter().map(|p| p.activity.clone()).collect())
            .unwrap_or_default()
    }

    /// Links an exchange consuming `product`: `named` is the provider the data names (if
    /// any), `location` the consumer's location.
    pub fn link(&self, product: &str, named: Option<&NodeId>, location: Option<&str>) -> Link {
        let Some(candidates) = self.providers.get(product).filter(|v| !v.is_empty()) else {
            return Link::Unlinked {
                reason: "no activity in the data makes this product".into(),
                candidates: Vec::new(),
            };
        };
        if let Some(named) = named {
            if candidates.iter().any(|p| &p.activity == named) {
                return Link::Linked {
                    activity: named.clone(),
                    how: LinkHow::DefaultProvider,
                };
            }
        }
        if candidates.len() == 1 {
            return Link::Linked {
                activity: candidates[0].activity.clone(),
                how: LinkHow::OnlyProvider,
            };
        }
        let at = |loc: &str| {
            let found: Vec<&Provider> = candidates.iter().filter(|p| p.location.as_deref() == Some(loc)).collect();
            (found.len() == 1).then(|| found[0].activity.clone())
        };
        if let Some(activity) = location.and_then(at) {
            return Link::Linked {
                activity,
                how: LinkHow::SameLocation,
            };
        }
        for loc in &self.fallback {
            if let Some(activity) = at(loc) {
                return Link::Linked {
                    activity,
                    how: LinkHow::Fallback(loc.clone()),
                };
            }
        }
        let mut locations: Vec<String> = candidates
            .iter()
            .map(|p| p.location.clone().unwrap_or_else(|| "no location".into()))
            .collect();
        locations.sort();
        locations.dedup();
        Link::Unlinked {
            reason: format!(
                "{} activities make this product (locations {}); none is the only one in the consumer's location {} or in {}",
                candidates.len(),
                locations.join(", "),
                location.unwrap_or("(none)"),
                if self.fallback.is_empty() { "a fallback location".to_string() } else { self.fallback.join(" or ") }
            ),
            candidates: candidates.iter().map(|p| p.activity.clone()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linker() -> Linker {
        let mut l = Linker::new(vec!["GLO".into(), "RoW".into()]);
        l.add("steel", "steel-CN".into(), Some("CN"));
        l.add("steel", "steel-RoW".into(), Some("RoW"));
        l.add("steel", "steel-DE".into(), Some("DE"));
        l.add("coal", "coal".into(), Some("CN"));
        l
    }

    #[test]
    fn follows_the_rule_in_order() {
        let l = linker();
        let linked = |p: &str, named: Option<&str>, loc: Option<&str>| match l.link(p, named.map(NodeId::from).as_ref(), loc) {
            Link::Linked { activity, how } => (activity.to_string(), how),
            Link::Unlinked { reason, .. } => ("-".into(), LinkHow::Fallback(reason)),
        };
        assert_eq!(linked("steel", Some("steel-DE"), Some("CN")), ("steel-DE".into(), LinkHow::DefaultProvider));
        // a named provider that does not make the product falls through to the rule
        assert_eq!(linked("steel", Some("coal"), Some("CN")), ("steel-CN".into(), LinkHow::SameLocation));
        assert_eq!(linked("coal", None, Some("DE")), ("coal".into(), LinkHow::OnlyProvider));
        assert_eq!(linked("steel", None, Some("FR")), ("steel-RoW".into(), LinkHow::Fallback("RoW".into())));
    }

    #[test]
    fn reports_what_it_cannot_link() {
        let mut l = linker();
        l.add("steel", "steel-CN-2".into(), Some("CN"));
        let Link::Unlinked { reason, candidates } = Linker::new(vec![]).link("steel", None, Some("CN")) else {
            panic!()
        };
        assert!(reason.contains("no activity"), "{reason}");
        assert!(candidates.is_empty());
        let mut no_fallback = Linker::new(vec![]);
        no_fallback.add("x", "a".into(), Some("CN"));
        no_fallback.add("x", "b".into(), Some("DE"));
        let Link::Unlinked { reason, candidates } = no_fallback.link("x", None, Some("FR")) else { panic!() };
        assert_eq!(candidates.len(), 2);
        assert!(reason.contains("CN, DE") && reason.contains("FR"), "{reason}");
        // two providers in the same location are ambiguous there; RoW is then taken
        assert!(matches!(l.link("steel", None, Some("CN")), Link::Linked { how: LinkHow::Fallback(_), .. }));
    }
}
