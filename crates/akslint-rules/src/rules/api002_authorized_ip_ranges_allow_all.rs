use std::net::IpAddr;

use crate::rules::{MANAGED_CLUSTERS, private_cluster};
use crate::{ResourceContext, Rule};
use akslint_core::{Diagnostic, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an entry of `properties.apiServerAccessProfile.authorizedIPRanges` on an AKS
    /// cluster (`Microsoft.ContainerService/managedClusters`, any API version, also in modules,
    /// conditions and loops) that allows every address: a range with prefix length 0, such as
    /// `0.0.0.0/0` or `::/0`. Each such entry is reported; entries only known at deployment are
    /// not judged, and neither are clusters known to be private (authorized ranges do not apply
    /// to them). A single address without a prefix is one address, and `0.0.0.0/32` is the
    /// documented way to allow only the cluster's own outbound IP: neither is reported. Values
    /// are followed through parameters, variables, `.bicepparam` files and module arguments.
    ///
    /// ## Why it matters
    /// Authorized IP ranges are the firewall of a public API server. A `/0` range turns it off
    /// while the template still looks restricted (and API001, which looks for missing ranges,
    /// stays quiet): anyone on the internet can reach the control plane and try leaked
    /// credentials or API server vulnerabilities against it.
    ///
    /// ## Example
    /// ```bicep
    /// resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
    ///   name: 'aks-prod'
    ///   location: 'westeurope'
    ///   identity: { type: 'SystemAssigned' }
    ///   properties: {
    ///     dnsPrefix: 'aks-prod'
    ///     apiServerAccessProfile: {
    ///       authorizedIPRanges: ['203.0.113.0/24', '0.0.0.0/0']
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```bicep
    /// resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
    ///   name: 'aks-prod'
    ///   location: 'westeurope'
    ///   identity: { type: 'SystemAssigned' }
    ///   properties: {
    ///     dnsPrefix: 'aks-prod'
    ///     disableLocalAccounts: true
    ///     aadProfile: { managed: true, enableAzureRBAC: true }
    ///     oidcIssuerProfile: { enabled: true }
    ///     securityProfile: { workloadIdentity: { enabled: true } }
    ///     apiServerAccessProfile: {
    ///       authorizedIPRanges: ['203.0.113.0/24']
    ///     }
    ///     addonProfiles: {
    ///       azureKeyvaultSecretsProvider: {
    ///         enabled: true
    ///         config: { enableSecretRotation: 'true' }
    ///       }
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Remove the `/0` entry and list the ranges that need the API server: the office or VPN
    /// egress, the CI runners' egress, the cluster's own outbound IP. Better, make the cluster
    /// private (`enablePrivateCluster: true`) and deploy from inside the network. akslint offers
    /// no automatic fix: only you know the ranges.
    ///
    /// ## References
    /// - [Secure access to the API server using authorized IP address ranges](https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges)
    /// - [Create a private AKS cluster](https://learn.microsoft.com/azure/aks/private-clusters)
    /// - [Microsoft.ContainerService managedClusters: apiServerAccessProfile](https://learn.microsoft.com/azure/templates/microsoft.containerservice/managedclusters)
    pub struct AuthorizedIpRangesAllowAll {
        code: "API002",
        name: "authorized-ip-ranges-allow-all",
        family: Api,
        severity: Error,
        security_severity: "8.2",
        summary: "An AKS cluster's authorized IP ranges include a range that allows every address",
    }
}

impl Rule for AuthorizedIpRangesAllowAll {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_resource(&self, cx: &ResourceContext<'_>, out: &mut Vec<Diagnostic>) {
        let cluster = cx.resource;
        if !cluster.is_type(MANAGED_CLUSTERS)
            || cluster.existing
            || private_cluster(cluster).is_some()
        {
            return;
        }
        let Some(ranges) = cluster
            .property(&["apiServerAccessProfile", "authorizedIPRanges"])
            .node()
        else {
            return;
        };
        for &item in cluster.body.items(ranges) {
            let Some(range) = cluster.body.str(item).map(str::trim) else {
                continue;
            };
            let Some(family) = allows_every_address(range) else {
                continue;
            };
            let diagnostic = cluster
                .finding(
                    &Self::META,
                    Some(item),
                    format!(
                        "AKS cluster {} lists `{range}` in `authorizedIPRanges`: a prefix length of 0 matches every {family} address, so the API server accepts connections from anywhere on the internet",
                        cluster.label()
                    ),
                )
                .with_help("remove the `/0` range and list only the ranges that need the API server, or make the cluster private");
            out.push(diagnostic);
        }
    }
}

/// The address family (`IPv4` or `IPv6`) whose every address a CIDR range covers, when its
/// prefix length is 0. A bare address (no prefix) is a single host; text that is not a range
/// is not judged.
fn allows_every_address(range: &str) -> Option<&'static str> {
    let (address, prefix) = range.split_once('/')?;
    if prefix.trim().parse::<u8>() != Ok(0) {
        return None;
    }
    match address.trim().parse::<IpAddr>().ok()? {
        IpAddr::V4(_) => Some("IPv4"),
        IpAddr::V6(_) => Some("IPv6"),
    }
}

#[cfg(test)]
mod tests {
    use super::allows_every_address;

    #[test]
    fn only_prefix_length_zero_allows_every_address() {
        for (open, family) in [
            ("0.0.0.0/0", "IPv4"),
            ("10.0.0.0/0", "IPv4"),
            ("0.0.0.0/00", "IPv4"),
            ("::/0", "IPv6"),
            ("0::0/0", "IPv6"),
        ] {
            assert_eq!(allows_every_address(open), Some(family), "{open}");
        }
        for closed in [
            "0.0.0.0/32",
            "0.0.0.0",
            "203.0.113.0/24",
            "0.0.0.0/1",
            "::/128",
            "any/0",
            "",
            "/0",
        ] {
            assert_eq!(allows_every_address(closed), None, "{closed}");
        }
    }
}
