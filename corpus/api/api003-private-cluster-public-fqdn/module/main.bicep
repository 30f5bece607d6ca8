// The module keeps the public FQDN off; its caller turns it on.
module cluster 'modules/aks.bicep' = {
  name: 'cluster'
  params: {
    clusterName: 'aks-dev'
    publicFqdn: true  // expect: API003
  }
}
