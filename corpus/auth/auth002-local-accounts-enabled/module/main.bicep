// The module is fine; one caller turns local accounts back on, the other keeps the default.
module staging 'modules/aks.bicep' = {
  name: 'aks-staging'
  params: {
    clusterName: 'aks-staging'
    disableLocalAccounts: false  // expect: AUTH002
  }
}

module production 'modules/aks.bicep' = {
  name: 'aks-production'
  params: {
    clusterName: 'aks-production'
  }
}
