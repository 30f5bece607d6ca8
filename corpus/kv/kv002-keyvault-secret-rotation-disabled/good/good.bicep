// expect: none
// Hard negatives: rotation on (through a variable, in other cases of the key and the value),
// unknown values, and an existing cluster. A disabled add-on is KV001's (see addon-off.bicep).
param rotation string
param csiConfig object

var rotationOn = 'true'

var hardened = {
  disableLocalAccounts: true
  aadProfile: { managed: true, enableAzureRBAC: true }
  oidcIssuerProfile: { enabled: true }
  securityProfile: { workloadIdentity: { enabled: true } }
  apiServerAccessProfile: { authorizedIPRanges: ['203.0.113.0/24'] }
}

resource viaVariable 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-variable'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'variable'
    addonProfiles: {
      azurekeyvaultsecretsprovider: {
        enabled: true
        config: {
          enableSecretRotation: rotationOn
          rotationPollInterval: '5m'
        }
      }
    }
  }
}

resource upperCase 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-upper'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'upper'
    addonProfiles: {
      azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'True' } }
    }
  }
}

resource unknownRotation 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-unknown'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'unknown'
    addonProfiles: {
      azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: rotation } }
    }
  }
}

resource unknownConfig 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-unknown-config'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'unknownconfig'
    addonProfiles: {
      azureKeyvaultSecretsProvider: { enabled: true, config: csiConfig }
    }
  }
}

resource legacy 'Microsoft.ContainerService/managedClusters@2024-05-01' existing = {
  name: 'aks-legacy'
}
