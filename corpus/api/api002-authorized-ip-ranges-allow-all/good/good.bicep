// expect: none
// Hard negatives: 0.0.0.0/32 (only the cluster's own outbound IP), a bare address, narrow
// ranges, unknown ranges, a private cluster (ranges do not apply), an existing cluster, and
// 0.0.0.0/0 on another resource type.
param adminRanges array

var hardened = {
  disableLocalAccounts: true
  aadProfile: { managed: true, enableAzureRBAC: true }
  oidcIssuerProfile: { enabled: true }
  securityProfile: { workloadIdentity: { enabled: true } }
  addonProfiles: {
    azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true' } }
  }
}

resource lockedDown 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-locked'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'locked'
    apiServerAccessProfile: {
      authorizedIPRanges: ['0.0.0.0/32']
    }
  }
}

resource narrow 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-narrow'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'narrow'
    apiServerAccessProfile: {
      authorizedIPRanges: ['0.0.0.0', '203.0.113.0/24', '2001:db8::/48', '0.0.0.0/1']
    }
  }
}

resource unknownRanges 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-unknown'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'unknown'
    apiServerAccessProfile: {
      authorizedIPRanges: adminRanges
    }
  }
}

resource privateAks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-private'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'private'
    apiServerAccessProfile: {
      enablePrivateCluster: true
      enablePrivateClusterPublicFQDN: false
      authorizedIPRanges: ['0.0.0.0/0']
    }
  }
}

resource flux 'Microsoft.KubernetesConfiguration/extensions@2023-05-01' = {
  name: 'flux'
  scope: privateAks
  properties: {
    extensionType: 'microsoft.flux'
  }
}

resource legacy 'Microsoft.ContainerService/managedClusters@2024-05-01' existing = {
  name: 'aks-legacy'
}

resource nsg 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-web'
  location: 'westeurope'
  properties: {
    securityRules: [
      {
        name: 'allow-https'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: '0.0.0.0/0'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '443'
        }
      }
    ]
  }
}
