// expect: none
// The extension type is a parameter without a value: it may be Flux, so nothing is reported.
param gitopsExtension string

resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-private'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    dnsPrefix: 'private'
    disableLocalAccounts: true
    aadProfile: { managed: true, enableAzureRBAC: true }
    oidcIssuerProfile: { enabled: true }
    securityProfile: { workloadIdentity: { enabled: true } }
    addonProfiles: {
      azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true' } }
    }
    apiServerAccessProfile: {
      enablePrivateCluster: true
      enablePrivateClusterPublicFQDN: false
    }
  }
}

resource gitops 'Microsoft.KubernetesConfiguration/extensions@2023-05-01' = {
  name: 'gitops'
  scope: aks
  properties: {
    extensionType: gitopsExtension
  }
}
