// Private clusters that publish a public FQDN: explicitly, by omission (true by default), from a
// variable, a parameter default and a spread, under a condition and in a loop.
param location string = 'westeurope'
param publicFqdn bool = true
param deployStaging bool

var hardened = {
  disableLocalAccounts: true
  aadProfile: { managed: true, enableAzureRBAC: true }
  oidcIssuerProfile: { enabled: true }
  securityProfile: { workloadIdentity: { enabled: true } }
  addonProfiles: {
    azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true' } }
  }
}

var privateWithFqdn = {
  enablePrivateCluster: true
  enablePrivateClusterPublicFQDN: true
}

resource explicit 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-explicit'
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'explicit'
    apiServerAccessProfile: {
      enablePrivateCluster: true
      enablePrivateClusterPublicFQDN: true  // expect: API003
    }
  }
}

resource omitted 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-omitted'
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'omitted'
    apiServerAccessProfile: {
      enablePrivateCluster: true  // expect: API003
    }
  }
}

resource fromVariable 'Microsoft.ContainerService/managedClusters@2023-08-01' = {
  name: 'aks-variable'
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'variable'
    apiServerAccessProfile: privateWithFqdn  // expect: API003
  }
}

resource fromParam 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-param'
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'param'
    apiServerAccessProfile: {
      enablePrivateCluster: true
      enablePrivateClusterPublicFQDN: publicFqdn  // expect: API003
    }
  }
}

// The key in another case is the same property to Azure; privateDNSZone 'none' needs the
// public record, so no fix is offered, but the record is still published.
resource spreadAndCase 'Microsoft.ContainerService/managedClusters@2024-05-01' = if (deployStaging) {
  name: 'aks-staging'
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'staging'
    apiServerAccessProfile: {
      ...privateWithFqdn
      privateDNSZone: 'none'
      enableprivateclusterpublicfqdn: true  // expect: API003
    }
  }
}

resource regional 'Microsoft.ContainerService/managedClusters@2024-05-01' = [for region in ['weu', 'neu']: {
  name: 'aks-${region}'
  location: region
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'aks-${region}'
    apiServerAccessProfile: {
      enablePrivateCluster: true  // expect: API003
      privateDNSZone: 'system'
    }
  }
}]

resource flux 'Microsoft.KubernetesConfiguration/extensions@2023-05-01' = {
  name: 'flux'
  scope: explicit
  properties: {
    extensionType: 'microsoft.flux'
  }
}
