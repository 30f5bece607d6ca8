// The add-on enabled without rotation: no config, no rotation key, 'false', a boolean true,
// from a parameter default, a variable and a spread, under a condition and in a loop.
param location string = 'westeurope'
param rotation string = 'false'
param deployStaging bool

var hardened = {
  disableLocalAccounts: true
  aadProfile: { managed: true, enableAzureRBAC: true }
  oidcIssuerProfile: { enabled: true }
  securityProfile: { workloadIdentity: { enabled: true } }
  apiServerAccessProfile: { authorizedIPRanges: ['203.0.113.0/24'] }
}

var csiNoRotation = {
  enabled: true
  config: {
    enableSecretRotation: 'false'
  }
}

resource noConfig 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-noconfig'
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'noconfig'
    addonProfiles: {
      azureKeyvaultSecretsProvider: {  // expect: KV002
        enabled: true
      }
    }
  }
}

resource pollOnly 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-poll'
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'poll'
    addonProfiles: {
      AzureKeyvaultSecretsProvider: {  // expect: KV002
        enabled: true
        config: {
          rotationPollInterval: '2m'
        }
      }
    }
  }
}

resource rotationOff 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-off'
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'off'
    addonProfiles: {
      azureKeyvaultSecretsProvider: {
        enabled: true
        config: {
          enableSecretRotation: 'false'  // expect: KV002
        }
      }
    }
  }
}

resource booleanTrue 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-boolean'
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'boolean'
    addonProfiles: {
      azureKeyvaultSecretsProvider: {
        enabled: true
        config: {
          enableSecretRotation: true  // expect: KV002
        }
      }
    }
  }
}

resource fromParam 'Microsoft.ContainerService/managedClusters@2023-08-01' = {
  name: 'aks-param'
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'param'
    addonProfiles: {
      azureKeyvaultSecretsProvider: {
        enabled: true
        config: {
          enableSecretRotation: rotation  // expect: KV002
        }
      }
    }
  }
}

resource fromVariable 'Microsoft.ContainerService/managedClusters@2024-05-01' = if (deployStaging) {
  name: 'aks-variable'
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'variable'
    addonProfiles: {
      azureKeyvaultSecretsProvider: csiNoRotation  // expect: KV002
    }
  }
}

resource regional 'Microsoft.ContainerService/managedClusters@2024-05-01' = [for region in ['weu', 'neu']: {
  name: 'aks-${region}'
  location: region
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'aks-${region}'
    addonProfiles: {
      azureKeyvaultSecretsProvider: {  // expect: KV002
        ...csiNoRotation
        config: {}
      }
    }
  }
}]
