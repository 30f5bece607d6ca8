using 'main.bicep'

param secretRotation = 'false'  // expect: KV002
