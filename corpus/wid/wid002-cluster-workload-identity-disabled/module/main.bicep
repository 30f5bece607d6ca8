// Callers weaken the module's cluster: one turns the OIDC issuer off, one passes a security
// profile without workload identity, one keeps the defaults.
module batch 'modules/aks.bicep' = {
  name: 'aks-batch'
  params: {
    clusterName: 'aks-batch'
    oidcIssuer: false  // expect: WID002
  }
}

module monitored 'modules/aks.bicep' = {
  name: 'aks-monitored'
  params: {
    clusterName: 'aks-monitored'
    securityProfile: {  // expect: WID002
      defender: {
        securityMonitoring: {
          enabled: true
        }
      }
    }
  }
}

module standard 'modules/aks.bicep' = {
  name: 'aks-standard'
  params: {
    clusterName: 'aks-standard'
  }
}
