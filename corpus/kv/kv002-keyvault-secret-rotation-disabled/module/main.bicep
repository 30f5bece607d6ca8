module cluster 'modules/aks.bicep' = {
  name: 'cluster'
  params: {
    clusterName: 'aks-dev'
    secretRotation: 'false'  // expect: KV002
  }
}
