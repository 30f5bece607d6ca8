// expect: none
// Public with ranges in the template; the parameter file makes it private.
param privateCluster bool = false

resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-prod'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    dnsPrefix: 'prod'
    disableLocalAccounts: true
    aadProfile: { managed: true, enableAzureRBAC: true }
    oidcIssuerProfile: { enabled: true }
    securityProfile: { workloadIdentity: { enabled: true } }
    addonProfiles: {
      azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true' } }
    }
    apiServerAccessProfile: {
      enablePrivateCluster: privateCluster
      enablePrivateClusterPublicFQDN: false
      authorizedIPRanges: privateCluster ? [] : ['203.0.113.0/24']
    }
  }
}
