// expect: none
// Reported at the calls that enable it (main.bicep), not here.
param podIdentityEnabled bool

resource cluster 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-${uniqueString(resourceGroup().id)}'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    dnsPrefix: 'aks'
    disableLocalAccounts: true
    apiServerAccessProfile: { enablePrivateCluster: true, enablePrivateClusterPublicFQDN: false }
    aadProfile: { managed: true, enableAzureRBAC: true }
    oidcIssuerProfile: { enabled: true }
    securityProfile: { workloadIdentity: { enabled: true } }
    addonProfiles: {
      azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true' } }
    }
    podIdentityProfile: { enabled: podIdentityEnabled }
  }
}
