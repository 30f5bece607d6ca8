// Allow-all ranges written in the template: literals, a variable, a parameter default, spreads,
// a condition and a loop. Each offending element is reported.
param location string = 'westeurope'
param officeRanges array = ['198.51.100.0/24', '0.0.0.0/0']
param deploySandbox bool
param runnerRange string

var hardened = {
  disableLocalAccounts: true
  aadProfile: { managed: true, enableAzureRBAC: true }
  oidcIssuerProfile: { enabled: true }
  securityProfile: { workloadIdentity: { enabled: true } }
  addonProfiles: {
    azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true' } }
  }
}

var everyone = '0.0.0.0/0'
var openProfile = {
  authorizedIPRanges: ['203.0.113.0/24', everyone]
}

resource literal 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-literal'
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'literal'
    apiServerAccessProfile: {
      authorizedIPRanges: [
        '203.0.113.0/24'
        '0.0.0.0/0'  // expect: API002
        ' ::/0 '  // expect: API002
      ]
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
    apiServerAccessProfile: {
      authorizedIPRanges: officeRanges  // expect: API002
    }
  }
}

resource fromVariable 'microsoft.containerservice/MANAGEDCLUSTERS@2024-05-01' = {
  name: 'aks-variable'
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'variable'
    apiServerAccessProfile: openProfile  // expect: API002
  }
}

// An unknown element next to a known bad one: the known one is still judged.
resource sandbox 'Microsoft.ContainerService/managedClusters@2024-05-01' = if (deploySandbox) {
  name: 'aks-sandbox'
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    ...hardened
    dnsPrefix: 'sandbox'
    apiServerAccessProfile: {
      enablePrivateCluster: false
      authorizedIPRanges: [runnerRange, '10.20.0.0/0']  // expect: API002
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
    apiServerAccessProfile: {
      authorizedIPRanges: concat(['198.51.100.0/24'], ['0.0.0.0/0'])  // expect: API002
    }
  }
}]
