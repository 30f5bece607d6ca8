// expect: none
// The cluster and its Flux extension come from a module.
module cluster 'modules/aks.bicep' = {
  name: 'cluster'
  params: {
    clusterName: 'aks-platform'
  }
}
