// A caller turns Kubernetes RBAC off for the module's cluster.
module demo 'modules/aks.bicep' = {
  name: 'aks-demo'
  params: {
    clusterName: 'aks-demo'
    enableRbac: false  // expect: AUTH005
  }
}
