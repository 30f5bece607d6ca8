// expect: none
// Hard negatives: the public FQDN off (literal, parameter default), unknown values, a public
// cluster that sets the flag (ranges restrict it; API001 judges public clusters), an existing
// cluster.
param publicFqdn bool
param isPrivate bool
param fqdnOff bool = false

var hardened = {
  disableLocalAccounts: true
  aadProfile: { managed: true, enableAzureRBAC: true }
  oidcIssuerProfile: { enabled: true }
  securityProfile: { workloadIdentity: { enabled: true } }
  addonProfiles: {
    azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true' } }
  }
}

resource noFqdn 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-nofqdn'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'nofqdn'
    apiServerAccessProfile: {
      enablePrivateCluster: true
      enablePrivateClusterPublicFQDN: false
    }
  }
}

resource defaultOff 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-default-off'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'defaultoff'
    apiServerAccessProfile: {
      enablePrivateCluster: true
      enablePrivateClusterPublicFQDN: fqdnOff
    }
  }
}

resource unknownFqdn 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-unknown-fqdn'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'unknownfqdn'
    apiServerAccessProfile: {
      enablePrivateCluster: true
      enablePrivateClusterPublicFQDN: publicFqdn
    }
  }
}

resource unknownPrivate 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-unknown-private'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'unknownprivate'
    apiServerAccessProfile: {
      enablePrivateCluster: isPrivate
    }
  }
}

resource publicRanged 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-public'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'public'
    apiServerAccessProfile: {
      enablePrivateCluster: false
      enablePrivateClusterPublicFQDN: true
      authorizedIPRanges: ['203.0.113.0/24']
    }
  }
}

resource legacy 'Microsoft.ContainerService/managedClusters@2024-05-01' existing = {
  name: 'aks-legacy'
}

resource flux 'Microsoft.KubernetesConfiguration/extensions@2023-05-01' = {
  name: 'flux'
  scope: noFqdn
  properties: {
    extensionType: 'microsoft.flux'
  }
}
