//! The vocabulary of openness: the rungs of the ladder and the restriction categories. A leaf
//! module: the knowledge base's data and the ladder's judgements both speak it.

use serde::{Deserialize, Serialize};

/// A rung of the openness ladder, most open first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rung {
    PublicDomain,
    Permissive,
    OpenData,
    WeakCopyleft,
    StrongCopyleft,
    NetworkCopyleft,
    SourceAvailable,
    UseRestricted,
    Capped,
    NonCommercial,
    ResearchOnly,
    Proprietary,
}

impl Rung {
    /// Plain words for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Rung::PublicDomain => "public domain",
            Rung::Permissive => "permissive",
            Rung::OpenData => "open data",
            Rung::WeakCopyleft => "weak copyleft",
            Rung::StrongCopyleft => "strong copyleft",
            Rung::NetworkCopyleft => "network copyleft",
            Rung::SourceAvailable => "source-available (not open source)",
            Rung::UseRestricted => "use-restricted",
            Rung::Capped => "capped by users or revenue",
            Rung::NonCommercial => "non-commercial",
            Rung::ResearchOnly => "research only",
            Rung::Proprietary => "proprietary or unknown",
        }
    }
}

/// A category of usage restriction. The kebab-case names are part of the JSON interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Restriction {
    NonCommercial,
    ResearchOnly,
    NoDerivatives,
    UsePolicy,
    UserThreshold,
    RevenueThreshold,
    Geographic,
    Naming,
    OutputUse,
    Registration,
    Hosting,
    RemoteChange,
    PatentTermination,
}

impl Restriction {
    /// Every category, in documentation order.
    pub const ALL: [Restriction; 13] = [
        Restriction::NonCommercial,
        Restriction::ResearchOnly,
        Restriction::NoDerivatives,
        Restriction::UsePolicy,
        Restriction::UserThreshold,
        Restriction::RevenueThreshold,
        Restriction::Geographic,
        Restriction::Naming,
        Restriction::OutputUse,
        Restriction::Registration,
        Restriction::Hosting,
        Restriction::RemoteChange,
        Restriction::PatentTermination,
    ];

    /// Plain words: what the restriction means for a user.
    pub fn describe(self) -> &'static str {
        match self {
            Restriction::NonCommercial => "commercial use is not allowed",
            Restriction::ResearchOnly => "use is limited to research or non-production",
            Restriction::NoDerivatives => "modified versions may not be shared",
            Restriction::UsePolicy => "an acceptable-use policy restricts what it may be used for",
            Restriction::UserThreshold => "large user bases need a separate license",
            Restriction::RevenueThreshold => "revenue above a threshold needs a separate license",
            Restriction::Geographic => "some regions are excluded",
            Restriction::Naming => "derivatives must carry names or attribution notices",
            Restriction::OutputUse => "outputs may not be used to train or improve other models",
            Restriction::Registration => "users must register or accept terms first",
            Restriction::Hosting => "offering it as a hosted service is restricted",
            Restriction::RemoteChange => "the licensor may change the terms or restrict use remotely",
            Restriction::PatentTermination => "litigation ends the grant",
        }
    }

    /// The kebab-case name.
    pub fn name(self) -> String {
        serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
    }
}
