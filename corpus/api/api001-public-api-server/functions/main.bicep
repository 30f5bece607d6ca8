// User-defined functions build the cluster settings; the finding is at the call that passes
// the public setting.
func apiAccess(isPrivate bool) object => {
  enablePrivateCluster: isPrivate
  enablePrivateClusterPublicFQDN: false
}

func hardening() object => {
  disableLocalAccounts: true
  aadProfile: { managed: true, enableAzureRBAC: true }
  oidcIssuerProfile: { enabled: true }
  securityProfile: { workloadIdentity: { enabled: true } }
  addonProfiles: {
    azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true' } }
  }
}

resource internal 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-internal'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: union(hardening(), {
    dnsPrefix: 'aks-internal'
    apiServerAccessProfile: apiAccess(true)
  })
}

resource demo 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-demo'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: union(hardening(), {
    dnsPrefix: 'aks-demo'
    apiServerAccessProfile: apiAccess(false)  // expect: API001
  })
}
