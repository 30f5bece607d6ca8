// An old caller still passes a service principal; a new one keeps the managed identity.
@secure()
param legacySecret string

module legacy 'modules/aks.bicep' = {
  name: 'aks-legacy'
  params: {
    clusterName: 'aks-legacy'
    servicePrincipalClientId: '7e0b3d96-a218-4c5f-8d47-e9c1f6a2b035'  // expect: WID006
    servicePrincipalSecret: legacySecret
  }
}

module current 'modules/aks.bicep' = {
  name: 'aks-current'
  params: {
    clusterName: 'aks-current'
  }
}
