@{
    RootModule           = 'AlexaPrivacy.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5f0b7d0e-3c8a-4a49-9a53-2f2f3f3d9a11'
    Author               = 'AlexaPrivacy contributors'
    CompanyName          = 'AlexaPrivacy'
    Copyright            = '(c) AlexaPrivacy contributors. MIT License.'
    Description          = 'Take back control of what Amazon keeps from Alexa devices: turn off human review of voice recordings, choose how long recordings are kept, and review, export and delete voice history, by driving Amazon''s own privacy pages in a real browser.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('AlexaPrivacy.format.ps1xml')
    TypesToProcess       = @('AlexaPrivacy.types.ps1xml')
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
        'Test-AlexaPrivacyPolicy'
        'Set-AlexaPrivacyPolicy'
        'Export-AlexaPrivacyReport'
        'Invoke-AlexaPrivacyPolicy'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Alexa', 'Amazon', 'Echo', 'Privacy', 'VoiceHistory', 'Playwright', 'Chromium', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            # Placeholders until the project has a public home: replace both with the repository's address.
            ProjectUri   = 'https://example.org/AlexaPrivacy'
            LicenseUri   = 'https://example.org/AlexaPrivacy/blob/main/LICENSE'
            ReleaseNotes = @'
0.1.0
- Connect-AlexaAccount (password, authenticator key, saved owner-only sessions, interactive sign-in),
  Get-AlexaSession, Disconnect-AlexaAccount (-All), Get-, Set- and Test-AlexaDataSetting (human review of voice recordings, retention, ...),
  Get-, Export- and Remove-AlexaVoiceHistory, Get-AlexaSiteProfile, Test-AlexaSiteCompatibility.
- One package for Windows, macOS and Linux: Playwright's driver runs on the machine's Node.js 20
  or newer (AlexaNodeNotFound says what to install) and drives an installed Chromium, Chrome or Edge.
'@
        }
    }
}
