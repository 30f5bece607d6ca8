// The module is fine; its caller passes the allow-all range.
module cluster 'modules/aks.bicep' = {
  name: 'cluster'
  params: {
    clusterName: 'aks-dev'
    apiRanges: ['198.51.100.7/32', '::/0']  // expect: API002
  }
}
