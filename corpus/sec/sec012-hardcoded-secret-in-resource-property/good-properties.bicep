// expect: none
// Hard negatives: values known only at deployment, references, identifiers, public material and
// settings in credential-looking places.
param location string = resourceGroup().location
@secure()
param sqlAdminPassword string
@secure()
param windowsPassword string
param sshPublicKey string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: 'stordersweu'
}

resource insights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: 'appi-orders'
}

resource sql 'Microsoft.Sql/servers@2023-08-01-preview' = {
  name: 'sql-orders'
  location: location
  properties: {
    administratorLogin: 'sqladmin'
    administratorLoginPassword: sqlAdminPassword  // neg: secure-param-without-default
  }
}

resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-orders'
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    dnsPrefix: 'orders'
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
      adminPassword: windowsPassword  // neg: secure-param-without-default
    }
    servicePrincipalProfile: {
      clientId: 'msi'  // neg: managed-identity-marker
    }
    linuxProfile: {
      adminUsername: 'azureuser'
      ssh: {
        publicKeys: [
          { keyData: sshPublicKey }  // neg: public-key-param
          { keyData: 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 ops@contoso' }  // neg: public-key
        ]
      }
    }
  }
}

resource vm 'Microsoft.Compute/virtualMachines@2023-09-01' = {
  name: 'vm-build'
  location: location
  properties: {
    osProfile: {
      computerName: 'build'
      adminUsername: 'azureuser'
      linuxConfiguration: {
        disablePasswordAuthentication: true  // neg: setting
      }
    }
  }
}

resource app 'Microsoft.Web/sites@2023-01-01' = {
  name: 'app-orders'
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    siteConfig: {
      appSettings: [
        { name: 'DB_PASSWORD', value: '@Microsoft.KeyVault(SecretUri=https://kv-orders.vault.azure.net/secrets/db-password/)' }  // neg: kv-reference
        { name: 'API_KEY', value: '@Microsoft.KeyVault(VaultName=kv-orders;SecretName=api-key)' }  // neg: kv-reference-vaultname
        { name: 'AzureWebJobsStorage', value: 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value}' }  // neg: listkeys-interpolation
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }  // neg: resource-property
        { name: 'APPINSIGHTS_CONNECTION', value: 'InstrumentationKey=683d7e8e-8496-412e-a890-757805843104;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/' }  // neg: appinsights
        { name: 'AZURE_CLIENT_ID', value: '5f1c9a0e-3b7d-4c2a-9e61-0d8b4f7a2c13' }  // neg: guid
        { name: 'DB_PASSWORD_SECRET_NAME', value: 'orders-db-password' }  // neg: secret-name
        { name: 'PASSWORD_MIN_LENGTH', value: '12' }  // neg: setting
        { name: 'TOKEN_URL', value: 'https://login.microsoftonline.com/common/oauth2/v2.0/token' }  // neg: url
      ]
      connectionStrings: [
        {
          name: 'Orders'
          connectionString: 'Server=tcp:sql-orders.database.windows.net,1433;Database=orders;Authentication=Active Directory Managed Identity'  // neg: passwordless-connection-string
          type: 'SQLAzure'
        }
      ]
    }
  }
}

resource workers 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = {
  name: 'aci-worker'
  location: location
  properties: {
    osType: 'Linux'
    containers: [
      {
        name: 'worker'
        properties: {
          image: 'crorders.azurecr.io/worker@sha256:51b8ab10509e85ab56b81a1d5e003a861b55f2532a9d5279b9773929cfa03935'  // neg: image-digest
          resources: { requests: { cpu: 1, memoryInGB: 2 } }
          environmentVariables: [
            { name: 'DB_PASSWORD', secureValue: sqlAdminPassword }  // neg: secure-value-from-param
            { name: 'DB_PASSWORD_FILE', value: '/mnt/secrets/db-password' }  // neg: file-path
            { name: 'SECRET_PROVIDER', value: 'azure-keyvault' }  // neg: provider-name
          ]
        }
      }
    ]
  }
}

resource flux 'Microsoft.KubernetesConfiguration/fluxConfigurations@2023-05-01' = {
  name: 'flux-apps'
  scope: aks
  properties: {
    sourceKind: 'GitRepository'
    gitRepository: {
      url: 'https://github.com/contoso/orders-gitops'
      repositoryRef: { branch: 'main' }
      localAuthRef: 'git-credentials'  // neg: local-auth-ref
    }
    configurationProtectedSettings: {}  // neg: empty-protected-settings
  }
}

resource secretFromKeys 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  name: 'kv-orders/storage-key'
  properties: {
    value: storage.listKeys().keys[0].value  // neg: listkeys
  }
}

resource cert 'Microsoft.Web/certificates@2023-01-01' = {
  name: 'cert-orders'
  location: location
  properties: {
    keyVaultId: '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-secrets/providers/Microsoft.KeyVault/vaults/kv-orders'  // neg: resource-id
    keyVaultSecretName: 'orders-tls'  // neg: secret-name
  }
}
