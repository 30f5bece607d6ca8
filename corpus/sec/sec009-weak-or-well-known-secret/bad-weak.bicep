// Weak and well-known values in Bicep: reported by SEC009, not by the placement rules.
@secure()
param adminPassword string = 'changeme'  // expect: SEC009(generic-password)

var azuriteConnection = 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;'  // expect: SEC009(azure-storage-conn-string)

resource sql 'Microsoft.Sql/servers@2023-08-01-preview' = {
  name: 'sql-dev'
  location: 'westeurope'
  properties: {
    administratorLogin: 'sa'
    administratorLoginPassword: 'P@ssw0rd'  // expect: SEC009(generic-password)
  }
}

resource vm 'Microsoft.Compute/virtualMachines@2023-09-01' = {
  name: 'vm-dev'
  location: 'westeurope'
  properties: {
    osProfile: {
      computerName: 'dev'
      adminUsername: 'azureuser'
      adminPassword: adminPassword
    }
  }
}

output connection string = azuriteConnection
