// One caller turns Azure RBAC off for the module's cluster.
module team 'modules/aks.bicep' = {
  name: 'aks-team'
  params: {
    clusterName: 'aks-team'
    azureRbac: false  // expect: AUTH004
  }
}
