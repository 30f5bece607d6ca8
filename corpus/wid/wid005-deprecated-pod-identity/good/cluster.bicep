// expect: none
// Pod identity off, unknown, or on an existing cluster that this template does not deploy.
param podIdentity bool

resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-modern'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    dnsPrefix: 'aks-modern'
    disableLocalAccounts: true
    apiServerAccessProfile: { enablePrivateCluster: true, enablePrivateClusterPublicFQDN: false }
    aadProfile: { managed: true, enableAzureRBAC: true }
    oidcIssuerProfile: { enabled: true }
    securityProfile: { workloadIdentity: { enabled: true } }
    addonProfiles: {
      azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true' } }
    }
    podIdentityProfile: { enabled: false }
  }
}

resource other 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-other'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    dnsPrefix: 'aks-other'
    disableLocalAccounts: true
    apiServerAccessProfile: { enablePrivateCluster: true, enablePrivateClusterPublicFQDN: false }
    aadProfile: { managed: true, enableAzureRBAC: true }
    oidcIssuerProfile: { enabled: true }
    securityProfile: { workloadIdentity: { enabled: true } }
    addonProfiles: {
      azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true' } }
    }
    podIdentityProfile: { enabled: podIdentity }
  }
}
