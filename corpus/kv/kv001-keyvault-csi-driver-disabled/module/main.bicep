// The caller replaces the module's add-ons with a disabled one, then with none at all.
module cluster 'modules/aks.bicep' = {
  name: 'cluster'
  params: {
    clusterName: 'aks-dev'
    addons: {
      azureKeyvaultSecretsProvider: {
        enabled: false  // expect: KV001
      }
    }
  }
}

module bare 'modules/aks.bicep' = {  // expect: KV001
  name: 'bare'
  params: {
    clusterName: 'aks-bare'
    addons: {}
  }
}
