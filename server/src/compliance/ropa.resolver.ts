import { Arg, Ctx, Field, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { Framework, SubjectRole } from '../graphql/enums.js';
import { ReportLanguage } from '../requests/request.types.js';
import { renderRopa } from './ropa.js';

export enum RopaFormat { CSV = 'CSV', XLSX = 'XLSX', JSON = 'JSON' }
registerEnumType(RopaFormat, { name: 'RopaFormat' });

@ObjectType({ simpleResolvers: true, description: 'A record-of-processing export (also at GET /exports/ropa.{csv,xlsx,json}).' })
export class RopaExport {
  @Field() filename!: string;
  @Field() contentType!: string;
  @Field({ description: 'UTF8 for CSV and JSON, BASE64 for XLSX.' }) encoding!: string;
  @Field() content!: string;
}

@Resolver()
export class RopaResolver {
  @Query(() => RopaExport, { description: 'The record of processing: GDPR Art. 30(1) (controller) or 30(2) (processor) columns, or the APPI view; one row per activity.' })
  async ropaExport(
    @Arg('format', () => RopaFormat) format: RopaFormat,
    @Arg('framework', () => Framework) framework: Framework,
    @Arg('role', () => SubjectRole, { defaultValue: SubjectRole.CONTROLLER }) role: SubjectRole,
    @Arg('language', () => ReportLanguage, { defaultValue: ReportLanguage.JA }) language: ReportLanguage,
    @Ctx() ctx: Context,
  ): Promise<RopaExport> {
    const file = await renderRopa(ctx, format, framework, role, language);
    const binary = format === RopaFormat.XLSX;
    return { filename: file.filename, contentType: file.contentType, encoding: binary ? 'BASE64' : 'UTF8', content: file.body.toString(binary ? 'base64' : 'utf8') };
  }
}
