using 'main.bicep'

param apiRanges = [
  '203.0.113.0/24'
  '0.0.0.0/0'  // expect: API002
]
