// The evaluator's fixture project: a template that calls an AKS module (written for akslint's tests).
param clusterName string
param location string = resourceGroup().location
param enableRbac bool = false
param aad object
@secure()
param adminPassword string = ''
param disableLocal bool = true

var tags = {
  team: 'platform'
}

module aks './modules/aks.bicep' = {
  name: 'aks'
  params: {
    name: clusterName
    location: location
    enableRbac: enableRbac
    aad: aad
    disableLocal: disableLocal
    tags: union(tags, { env: 'prod' })
  }
}

module registry 'br/public:avm/res/container-registry/registry:0.1.0' = {
  name: 'acr'
}
