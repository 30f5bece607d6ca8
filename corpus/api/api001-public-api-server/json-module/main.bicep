// A Bicep file calling a module written in ARM JSON: the JSON module is evaluated with the
// call's arguments, so the public setting is reported at the argument that decides it.
module production 'cluster.json' = {
  name: 'production'
  params: {
    clusterName: 'aks-prod'
  }
}

module lab 'cluster.json' = {
  name: 'lab'
  params: {
    clusterName: 'aks-lab'
    privateCluster: false  // expect: API001
  }
}
