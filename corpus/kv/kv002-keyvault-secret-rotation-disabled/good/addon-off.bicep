// The add-on is off: that is KV001's finding, and rotation is not judged.
resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-off'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    dnsPrefix: 'off'
    disableLocalAccounts: true
    aadProfile: { managed: true, enableAzureRBAC: true }
    oidcIssuerProfile: { enabled: true }
    securityProfile: { workloadIdentity: { enabled: true } }
    apiServerAccessProfile: { authorizedIPRanges: ['203.0.113.0/24'] }
    addonProfiles: {
      azureKeyvaultSecretsProvider: {
        enabled: false  // expect: KV001
        config: {
          enableSecretRotation: 'false'
        }
      }
    }
  }
}
