using 'main.bicep'

param clusterName = 'aks-shared-services'
param servicePrincipalClientId = '2a7d9e05-c146-4f83-9b2e-5e0f1c8a6d73'  // expect: WID006
param servicePrincipalSecret = az.getSecret('8f2c4e1a-6b3d-4c97-a05e-d1f7b9e2c480', 'rg-platform', 'kv-platform', 'aks-sp-secret')
