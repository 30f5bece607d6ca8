// The module is fine; its caller passes the public setting.
module cluster 'modules/aks.bicep' = {
  name: 'cluster'
  params: {
    clusterName: 'aks-dev'
    privateCluster: false  // expect: API001
  }
}
