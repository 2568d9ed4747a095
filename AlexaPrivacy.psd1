@{
    RootModule           = 'AlexaPrivacy.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5f0b7d0e-3c8a-4a49-9a53-2f2f3f3d9a11'
    Author               = 'AlexaPrivacy contributors'
    CompanyName          = 'AlexaPrivacy'
    Copyright            = '(c) AlexaPrivacy contributors. MIT License.'
    Description          = 'Take back control of what Amazon keeps from Alexa devices: turn off human review of voice recordings, choose how long recordings are kept, and review, export and delete voice history, by driving Amazon''s own privacy pages in a real browser.'
    PowerShellVersion    = '7.2'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('AlexaPrivacy.format.ps1xml')
    CmdletsToExport      = @(
        'Connect-AlexaAccount'
        'Disconnect-AlexaAccount'
        'Get-AlexaSession'
        'Get-AlexaDataSetting'
        'Get-AlexaSiteProfile'
        'Set-AlexaDataSetting'
        'Test-AlexaDataSetting'
        'Test-AlexaSiteCompatibility'
        'Get-AlexaVoiceHistory'
        'Export-AlexaVoiceHistory'
        'Remove-AlexaVoiceHistory'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Alexa', 'Amazon', 'Privacy', 'Playwright', 'Linux', 'Windows', 'MacOS')
            ProjectUri = ''
        }
    }
}
