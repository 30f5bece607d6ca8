// expect: none
// Hard negatives: the add-on enabled (in other key cases too), values only known at deployment
// (a parameter, an unknown spread), an existing cluster, and another resource type.
param addons object
param csiEnabled bool

var hardened = {
  disableLocalAccounts: true
  aadProfile: { managed: true, enableAzureRBAC: true }
  oidcIssuerProfile: { enabled: true }
  securityProfile: { workloadIdentity: { enabled: true } }
  apiServerAccessProfile: { authorizedIPRanges: ['203.0.113.0/24'] }
}

resource enabled 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-enabled'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'enabled'
    addonProfiles: {
      azurekeyvaultsecretsprovider: {
        enabled: true
        config: { enableSecretRotation: 'true' }
      }
    }
  }
}

resource unknownProfiles 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-unknown-profiles'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'unknownprofiles'
    addonProfiles: addons
  }
}

resource unknownSpread 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-unknown-spread'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'unknownspread'
    addonProfiles: {
      omsagent: { enabled: false }
      ...addons
    }
  }
}

resource unknownSwitch 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-unknown-switch'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'unknownswitch'
    addonProfiles: {
      AZUREKEYVAULTSECRETSPROVIDER: {
        enabled: csiEnabled
        config: { enableSecretRotation: 'true' }
      }
    }
  }
}

resource legacy 'Microsoft.ContainerService/managedClusters@2024-05-01' existing = {
  name: 'aks-legacy'
}

resource fleet 'Microsoft.ContainerService/fleets@2024-04-01' = {
  name: 'fleet-prod'
  location: 'westeurope'
  properties: {}
}
