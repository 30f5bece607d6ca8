// Every finding here has a fix (`akslint check --fix`); the CLI tests apply them. When both
// settings are missing from `properties`, the fix inserts them in one edit.
param location string = 'westeurope'

resource neither 'Microsoft.ContainerService/managedClusters@2024-05-01' = {  // expect: WID002
  name: 'aks-neither'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    dnsPrefix: 'aks-neither'
    disableLocalAccounts: true
    aadProfile: {
      managed: true
      enableAzureRBAC: true
    }
    apiServerAccessProfile: {
      enablePrivateCluster: true
      enablePrivateClusterPublicFQDN: false
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

// The OIDC issuer written as false, and a security profile without workload identity.
resource partial 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-partial'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    dnsPrefix: 'aks-partial'
    disableLocalAccounts: true
    aadProfile: {
      managed: true
      enableAzureRBAC: true
    }
    apiServerAccessProfile: {
      enablePrivateCluster: true
      enablePrivateClusterPublicFQDN: false
    }
    oidcIssuerProfile: {
      enabled: false  // expect: WID002
    }
    securityProfile: {
      imageCleaner: {
        enabled: true
        intervalHours: 24
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
