resource blue 'Microsoft.ContainerService/managedClusters@2024-05-01' = {  // expect: KV001
  name: 'aks-blue'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    dnsPrefix: 'aks-blue'
    disableLocalAccounts: true
    aadProfile: { managed: true, enableAzureRBAC: true }
    oidcIssuerProfile: { enabled: true }
    securityProfile: { workloadIdentity: { enabled: true } }
    apiServerAccessProfile: { authorizedIPRanges: ['203.0.113.0/24'] }
  }
}

resource green 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-green'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    dnsPrefix: 'aks-green'
    disableLocalAccounts: true
    aadProfile: { managed: true, enableAzureRBAC: true }
    oidcIssuerProfile: { enabled: true }
    securityProfile: { workloadIdentity: { enabled: true } }
    apiServerAccessProfile: { authorizedIPRanges: ['203.0.113.0/24'] }
    addonProfiles: {
      azureKeyvaultSecretsProvider: {
        enabled: false  // expect: KV001
      }
    }
  }
}
