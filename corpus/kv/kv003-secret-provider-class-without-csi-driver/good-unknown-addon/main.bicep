// expect: none
param addons object

resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-shop'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    dnsPrefix: 'aks-shop'
    disableLocalAccounts: true
    aadProfile: { managed: true, enableAzureRBAC: true }
    oidcIssuerProfile: { enabled: true }
    securityProfile: { workloadIdentity: { enabled: true } }
    apiServerAccessProfile: { authorizedIPRanges: ['203.0.113.0/24'] }
    addonProfiles: addons
  }
}
