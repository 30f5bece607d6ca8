using 'main.bicep'

param keyVaultCsi = false  // expect: KV001
