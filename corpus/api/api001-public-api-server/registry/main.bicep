// Azure Verified Modules and a template spec, restored into this folder's module cache
// (`.bicep`, named by bicepconfig.json). Their compiled templates are evaluated with each call's
// arguments.

// The module's own default (`enablePrivateCluster: false`) decides: reported at the call.
module aksDefaults 'br/public:avm/res/container-service/managed-cluster:0.10.0' = {  // expect: API001
  name: 'aks-defaults'
  params: {
    name: 'aks-defaults'
  }
}

// The caller turns the private cluster on, and local accounts back on: reported at the argument.
module aksOverridden 'br/public:avm/res/container-service/managed-cluster:0.10.0' = {
  name: 'aks-overridden'
  params: {
    name: 'aks-overridden'
    enablePrivateCluster: true
    disableLocalAccounts: false  // expect: AUTH002
  }
}

// A template spec through an alias: private, local accounts off unless asked; its template does
// not turn the public FQDN off, and the finding is at the call.
module baseline 'ts/platform:aks-baseline:v1' = {  // expect: API003
  name: 'baseline'
  params: {
    clusterName: 'aks-baseline'
  }
}

// Not restored: a note on stderr (`bicep restore`), no finding.
module notRestored 'br/public:avm/res/container-service/managed-cluster:0.11.0' = {
  name: 'not-restored'
  params: {
    name: 'aks-elsewhere'
    enablePrivateCluster: false
  }
}
