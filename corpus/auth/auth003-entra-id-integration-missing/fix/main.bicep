// Every finding here has a fix (`akslint check --fix --unsafe-fixes`); the CLI tests apply them.
// Adding `aadProfile` makes AUTH004 ask for `enableAzureRBAC` next, which its own fix adds.
param location string = 'westeurope'

resource written 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-written'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    dnsPrefix: 'aks-written'
    disableLocalAccounts: true
    aadProfile: {
      managed: false  // expect: AUTH003
      enableAzureRBAC: true
    }
    apiServerAccessProfile: {
      enablePrivateCluster: true
      enablePrivateClusterPublicFQDN: false
    }
    oidcIssuerProfile: {
      enabled: true
    }
    securityProfile: {
      workloadIdentity: {
        enabled: true
      }
    }
    addonProfiles: {
      azureKeyvaultSecretsProvider: {
        enabled: true
        config: {
          enableSecretRotation: 'true'
        }
      }
    }
  }
}

resource omitted 'Microsoft.ContainerService/managedClusters@2024-05-01' = {  // expect: AUTH003
  name: 'aks-omitted'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    dnsPrefix: 'aks-omitted'
    disableLocalAccounts: true
    apiServerAccessProfile: {
      enablePrivateCluster: true
      enablePrivateClusterPublicFQDN: false
    }
    oidcIssuerProfile: {
      enabled: true
    }
    securityProfile: {
      workloadIdentity: {
        enabled: true
      }
    }
    addonProfiles: {
      azureKeyvaultSecretsProvider: {
        enabled: true
        config: {
          enableSecretRotation: 'true'
        }
      }
    }
  }
}
