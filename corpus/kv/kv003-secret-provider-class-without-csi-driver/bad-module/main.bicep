// The cluster comes from a module that lacks the add-on: KV001 moves onto the module call, and
// KV003's secondary location points there too.
module cluster 'modules/aks.bicep' = {  // expect: KV001
  name: 'cluster'
  params: {
    clusterName: 'aks-shop'
  }
}
