// One module is made private by its argument; the other is private inside (the finding moves
// onto the module call, the only place of the run that deploys it).
module cluster 'modules/aks.bicep' = {
  name: 'cluster'
  params: {
    clusterName: 'aks-dev'
    privateCluster: true  // expect: API004
  }
}

module internal 'modules/private-aks.bicep' = {  // expect: API004
  name: 'internal'
  params: {
    clusterName: 'aks-internal'
  }
}
