// A private cluster, and nothing in the run deploys into it from inside: the only extension is
// Dapr, and the manifests beside it are workloads, an Argo Rollout and an Argo Workflow (Argo
// projects that are not Argo CD).
param location string = 'westeurope'

resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-private'
  location: location
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
      enablePrivateCluster: true  // expect: API004
      enablePrivateClusterPublicFQDN: false
    }
  }
}

resource dapr 'Microsoft.KubernetesConfiguration/extensions@2023-05-01' = {
  name: 'dapr'
  scope: aks
  properties: {
    extensionType: 'Microsoft.Dapr'
  }
}

resource regional 'Microsoft.ContainerService/managedClusters@2024-05-01' = [for region in ['weu', 'neu']: {
  name: 'aks-${region}'
  location: region
  identity: { type: 'SystemAssigned' }
  properties: {
    dnsPrefix: 'aks-${region}'
    disableLocalAccounts: true
    aadProfile: { managed: true, enableAzureRBAC: true }
    oidcIssuerProfile: { enabled: true }
    securityProfile: { workloadIdentity: { enabled: true } }
    addonProfiles: {
      azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true' } }
    }
    apiServerAccessProfile: {
      enablePrivateCluster: true  // expect: API004
      enablePrivateClusterPublicFQDN: false
    }
  }
}]
