// The add-on missing, disabled, or present without `enabled`: literal, variable, parameter
// default, spread, another key case, a condition and a loop.
param location string = 'westeurope'
param csiEnabled bool = false
param deployStaging bool

var hardened = {
  disableLocalAccounts: true
  aadProfile: { managed: true, enableAzureRBAC: true }
  oidcIssuerProfile: { enabled: true }
  securityProfile: { workloadIdentity: { enabled: true } }
  apiServerAccessProfile: { authorizedIPRanges: ['203.0.113.0/24'] }
}

var monitoringOnly = {
  omsagent: { enabled: true, config: { logAnalyticsWorkspaceResourceID: '/subscriptions/0000/workspaces/logs' } }
}

var disabledAddons = {
  azureKeyvaultSecretsProvider: { enabled: false }
}

resource missing 'Microsoft.ContainerService/managedClusters@2024-05-01' = {  // expect: KV001
  name: 'aks-missing'
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'missing'
  }
}

resource otherAddonsOnly 'Microsoft.ContainerService/managedClusters@2024-05-01' = {  // expect: KV001
  name: 'aks-monitoring'
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'monitoring'
    addonProfiles: monitoringOnly
  }
}

resource disabled 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-disabled'
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'disabled'
    addonProfiles: {
      azureKeyvaultSecretsProvider: {
        enabled: false  // expect: KV001
        config: {
          enableSecretRotation: 'true'
        }
      }
    }
  }
}

resource otherCase 'Microsoft.ContainerService/managedClusters@2023-08-01' = {
  name: 'aks-other-case'
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'othercase'
    addonProfiles: {
      AzureKeyvaultSecretsProvider: {  // expect: KV001
        config: {
          enableSecretRotation: 'true'
        }
      }
    }
  }
}

resource fromParam 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-param'
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'param'
    addonProfiles: {
      azureKeyvaultSecretsProvider: {
        enabled: csiEnabled  // expect: KV001
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
    // Values spread into an object are reported on the spread that brings them (with the
    // variable as the secondary location).
    addonProfiles: {
      ...monitoringOnly
      ...disabledAddons  // expect: KV001
    }
  }
}

resource regional 'Microsoft.ContainerService/managedClusters@2024-05-01' = [for region in ['weu', 'neu']: {  // expect: KV001
  name: 'aks-${region}'
  location: region
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'aks-${region}'
  }
}]
