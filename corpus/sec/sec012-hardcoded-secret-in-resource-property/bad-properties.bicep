// Secrets written into resource properties, directly or through variables, spreads, conditions
// and loops. Properties Azure treats as credentials are reported whatever the value looks like.
param location string = resourceGroup().location
param deployJumpBox bool
param enableWindows bool

// The legacy Entra integration and a service principal are findings of their own (AUTH003,
// AUTH004, WID006); the secrets in them are this rule's.
resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {  // expect: AUTH003, AUTH004
  name: 'aks-orders'
  location: location
  properties: {
    dnsPrefix: 'orders'
    apiServerAccessProfile: { enablePrivateCluster: true, enablePrivateClusterPublicFQDN: false }
    disableLocalAccounts: true
    oidcIssuerProfile: { enabled: true }
    securityProfile: { workloadIdentity: { enabled: true } }
    addonProfiles: {
      azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true' } }
    }
    windowsProfile: {
      adminUsername: 'azureuser'
      adminPassword: 'tVTw*t36wEt2GOyg'  // expect: SEC012(generic-password)
    }
    servicePrincipalProfile: {
      clientId: '5f1c9a0e-3b7d-4c2a-9e61-0d8b4f7a2c13'  // expect: WID006
      secret: 'orders-sp-secret-2024'  // expect: SEC012(generic-secret)
    }
    aadProfile: {
      clientAppID: '0a4b6c8d-1e2f-4a5b-8c7d-9e0f1a2b3c4d'
      serverAppID: '7e6d5c4b-3a29-4817-b6c5-d4e3f2a1b0c9'
      serverAppSecret: 'J4g8Q~Rzj3nAv733L1Q832T8Li2ImRbiCQpVACIu'  // expect: SEC012(entra-client-secret)
    }
  }
}

resource sql 'Microsoft.Sql/servers@2023-08-01-preview' = {
  name: 'sql-orders'
  location: location
  properties: {
    administratorLogin: 'sqladmin'
    administratorLoginPassword: 'yg2KI9cWoH!K0Je6'  // expect: SEC012(generic-password)
  }
}

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2023-06-01-preview' = {
  name: 'pg-orders'
  location: location
  sku: { name: 'Standard_B1ms', tier: 'Burstable' }
  properties: {
    administratorLogin: 'pgadmin'
    administratorLoginPassword: 'pgadmin-Orders-2024'  // expect: SEC012(generic-password)
  }
}

var vmPassword = '%31YkrlMzPjM3wFW'  // expect: SEC012(generic-password)

resource jumpBox 'Microsoft.Compute/virtualMachines@2023-09-01' = if (deployJumpBox) {
  name: 'vm-jump'
  location: location
  properties: {
    osProfile: {
      computerName: 'jump'
      adminUsername: 'azureuser'
      adminPassword: vmPassword
    }
  }
}

var scaleSetOsProfile = {
  computerNamePrefix: 'agent'
  adminUsername: 'azureuser'
  adminPassword: 'kx80X*bwKqV3Ma8B'  // expect: SEC012(generic-password)
}

resource agents 'Microsoft.Compute/virtualMachineScaleSets@2023-09-01' = {
  name: 'vmss-agents'
  location: location
  properties: {
    virtualMachineProfile: {
      osProfile: {
        ...scaleSetOsProfile
        customData: base64('#cloud-config')
      }
    }
  }
}

resource workers 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = [for i in range(0, 2): {
  name: 'aci-worker-${i}'
  location: location
  properties: {
    osType: 'Linux'
    imageRegistryCredentials: [
      {
        server: 'crorders.azurecr.io'
        username: 'crorders'
        password: 'HNdOrOzPBlL6BibvHktGPlpXrLxpBdNH'  // expect: SEC012(generic-password)
      }
    ]
    containers: [
      {
        name: 'worker'
        properties: {
          image: 'crorders.azurecr.io/worker:1.4'
          resources: { requests: { cpu: 1, memoryInGB: 2 } }
          environmentVariables: [
            { name: 'QUEUE_NAME', value: 'orders' }
            { name: 'WORKER_ID', secureValue: 'Q#j%Xlb9SL5b+-uU' }  // expect: SEC012(generic-secret)
            { name: 'DB_PASSWORD', value: 'k4c8s9dz.WQ*vn0x' }  // expect: SEC012(generic-password)
          ]
        }
      }
    ]
    volumes: [
      {
        name: 'share'
        azureFile: {
          shareName: 'orders'
          storageAccountName: 'stordersweu'
          storageAccountKey: 'xEq8ldtr76RONFMSpuygkNuPaEWDPC+pqh1vJfCLd+Ocf1fKA9bOjiv3yl03rMszKCoeZzZFU4YS6ppFItisEg=='  // expect: SEC012(azure-storage-key)
        }
      }
    ]
  }
}]

resource flux 'Microsoft.KubernetesConfiguration/fluxConfigurations@2023-05-01' = {
  name: 'flux-apps'
  scope: aks
  properties: {
    scope: 'cluster'
    namespace: 'flux-system'
    sourceKind: 'GitRepository'
    gitRepository: {
      url: 'https://github.com/contoso/orders-gitops'
      repositoryRef: { branch: 'main' }
      httpsUser: 'git'
    }
    configurationProtectedSettings: {
      httpsKey: base64('ghp_pPCyqFPrCJwcr7Zo2FPVmbIqAWpAKjtAIRXl')  // expect: SEC012(github-token)
    }
  }
}

resource fluxBlob 'Microsoft.KubernetesConfiguration/fluxConfigurations@2023-05-01' = {
  name: 'flux-blob'
  scope: aks
  properties: {
    sourceKind: 'AzureBlob'
    azureBlob: {
      url: 'https://stordersweu.blob.core.windows.net'
      containerName: 'manifests'
      accountKey: 'yOsnTmUZjIjJAmJppw6sRbXSCFzdZIfvWgVRQ1NQ7jjpK+L2ql+fetJdi+eOtlMPwyRdkfIDsAHKmRs7AaVhLw=='  // expect: SEC012(azure-storage-key)
    }
  }
}

resource extension 'Microsoft.KubernetesConfiguration/extensions@2023-05-01' = {
  name: 'dapr'
  scope: aks
  properties: {
    extensionType: 'Microsoft.Dapr'
    configurationProtectedSettings: {
      'global.registry.password': 'mP7bIo8Q+QE+bFF*'  // expect: SEC012(generic-password)
    }
  }
}

resource app 'Microsoft.Web/sites@2023-01-01' = {
  name: 'app-orders'
  location: location
  properties: {
    siteConfig: {
      appSettings: [
        { name: 'ASPNETCORE_ENVIRONMENT', value: 'Production' }
        { name: 'Stripe__ApiKey', value: 'sk_live_gZTVraLAjzVcyzeslePamA6Zc6sV0Uxm' }  // expect: SEC012(stripe-key)
        { name: 'DOCKER_REGISTRY_SERVER_PASSWORD', value: 'NHaiI#t9l2KYQE2r' }  // expect: SEC012(generic-password)
      ]
      connectionStrings: [
        {
          name: 'Orders'
          connectionString: 'Server=tcp:sql-orders.database.windows.net,1433;Initial Catalog=orders;User ID=app;Password=fK!Dhsd1uy0p8#W1;'  // expect: SEC012(sql-conn-string)
          type: 'SQLAzure'
        }
      ]
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: {
      SMTP_PASSWORD: 'Ui-uz94qHPQu1F%t'  // expect: SEC012(generic-password)
    }
  }
}

resource containerApp 'Microsoft.App/containerApps@2024-03-01' = {
  name: 'ca-orders'
  location: location
  properties: {
    configuration: {
      secrets: [
        { name: 'queue-key', value: 'EVMq+CZKlnhQgW+5r+3A4lDnNvls7wDYeBCjHVfpQEA=' }  // expect: SEC012(generic-api-key)
      ]
    }
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: 'kv-orders'
}

resource vaultSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'payment-provider-key'
  properties: {
    value: 'oYxMwmELsJ55I8WcfXSjrAzOl5DshqeT'  // expect: SEC012(generic-secret)
  }
}

resource vpn 'Microsoft.Network/connections@2023-09-01' = {
  name: 'cn-onprem'
  location: location
  properties: {
    connectionType: 'IPsec'
    sharedKey: 'eYVpHzb5m7*uTHFh'  // expect: SEC012(generic-api-key)
  }
}

// A literal branch of a ternary whose condition is only known at deployment.
resource winCluster 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-win'
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    apiServerAccessProfile: { enablePrivateCluster: true, enablePrivateClusterPublicFQDN: false }
    aadProfile: { managed: true, enableAzureRBAC: true }
    disableLocalAccounts: true
    oidcIssuerProfile: { enabled: true }
    securityProfile: { workloadIdentity: { enabled: true } }
    addonProfiles: {
      azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true' } }
    }
    windowsProfile: {
      adminUsername: 'azureuser'
      adminPassword: enableWindows ? 'w42uiJ.w3JlUp3bb' : ''  // expect: SEC012(generic-password)
    }
  }
}
