// Callers pass the Entra ID profile: a legacy one, an unmanaged one, and the default.
@secure()
param legacyServerAppSecret string

module legacy 'modules/aks.bicep' = {
  name: 'aks-legacy'
  params: {
    clusterName: 'aks-legacy'
    aadProfile: {  // expect: AUTH003
      clientAppID: '9a0e6d3b-47c1-4b28-8f5e-1d3c7b2a6e90'
      serverAppID: 'c4f71b2e-6d08-4e9a-b3c5-8a2e0f7d1c64'
      serverAppSecret: legacyServerAppSecret
      enableAzureRBAC: true
    }
  }
}

module unmanaged 'modules/aks.bicep' = {
  name: 'aks-unmanaged'
  params: {
    clusterName: 'aks-unmanaged'
    aadProfile: {
      managed: false  // expect: AUTH003
      enableAzureRBAC: true
    }
  }
}

module standard 'modules/aks.bicep' = {
  name: 'aks-standard'
  params: {
    clusterName: 'aks-standard'
  }
}
