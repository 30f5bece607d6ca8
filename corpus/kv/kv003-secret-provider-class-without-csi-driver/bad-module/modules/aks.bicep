// Linted alone, this module deploys a cluster without the add-on.
param clusterName string

resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {  // expect: KV001
  name: clusterName
  location: resourceGroup().location
  identity: { type: 'SystemAssigned' }
  properties: {
    dnsPrefix: clusterName
    disableLocalAccounts: true
    aadProfile: { managed: true, enableAzureRBAC: true }
    oidcIssuerProfile: { enabled: true }
    securityProfile: { workloadIdentity: { enabled: true } }
    apiServerAccessProfile: { authorizedIPRanges: ['203.0.113.0/24'] }
  }
}
