// The pod identity add-on, enabled by a parameter's default and, for the second cluster,
// through a module argument.
param podIdentity bool = true

resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-legacy'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    dnsPrefix: 'aks-legacy'
    disableLocalAccounts: true
    apiServerAccessProfile: { enablePrivateCluster: true, enablePrivateClusterPublicFQDN: false }
    aadProfile: { managed: true, enableAzureRBAC: true }
    oidcIssuerProfile: { enabled: true }
    securityProfile: { workloadIdentity: { enabled: true } }
    addonProfiles: {
      azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true' } }
    }
    podIdentityProfile: {
      enabled: podIdentity  // expect: WID005
    }
  }
}

module second 'cluster.bicep' = {
  name: 'second'
  params: {
    podIdentityEnabled: true  // expect: WID005
  }
}

module third 'cluster.bicep' = {
  name: 'third'
  params: {
    podIdentityEnabled: false
  }
}
