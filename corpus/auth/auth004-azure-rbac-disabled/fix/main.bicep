// Every finding here has a fix (`akslint check --fix --unsafe-fixes`); the CLI tests apply them.
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
      managed: true
      enableAzureRBAC: false  // expect: AUTH004
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

resource omitted 'Microsoft.ContainerService/managedClusters@2024-05-01' = {  // expect: AUTH004
  name: 'aks-omitted'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    dnsPrefix: 'aks-omitted'
    disableLocalAccounts: true
    aadProfile: {
      managed: true
      adminGroupObjectIDs: [
        '8e1f5a27-c394-4d6b-b0a8-3f7d2e9c1a56'
      ]
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
